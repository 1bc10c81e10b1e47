"""`slospec eval`: service levels computed offline from recorded data."""
