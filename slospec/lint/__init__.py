"""The lint engine, its fixes, reporters, result cache and rule documentation."""
