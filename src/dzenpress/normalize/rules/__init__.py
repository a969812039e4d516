"""The normaliser's rules, one module per family. Each rule is text → text."""
