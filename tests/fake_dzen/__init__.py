"""A fake Dzen served on 127.0.0.1 for the import tests (no other network is ever touched)."""
