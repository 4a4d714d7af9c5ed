"""Pure extraction: page bytes and URL in, Article (or None for non-articles) out."""
