"""`slospec fmt`: canonical layouts of .slo and .slo.yaml text, every comment kept."""
