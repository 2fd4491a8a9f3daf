"""The auditor's console: a web application over the index (``zhili console``, docs/console.md)."""
