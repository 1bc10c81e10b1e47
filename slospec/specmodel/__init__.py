"""Document -> Spec: schema checks, value bounds, the typed model and its quantities."""
