"""Fetching untrusted article URLs safely, and turning what comes back into articles and feed entries."""
