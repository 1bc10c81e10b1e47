"""Files -> Documents: discovery, bounded reading, format detection, the YAML and .slo front ends."""
