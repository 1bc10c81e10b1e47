"""OpenSLO support: validation (schema + go-sdk rules), import to slospec, and references."""
