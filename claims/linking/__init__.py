"""Linking new sources to what the record already knows: people, organisations, posts, claims, events."""
