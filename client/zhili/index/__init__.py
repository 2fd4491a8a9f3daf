"""The indexer: jurisdictions' contracts folded into a relational database (``zhili index``)."""

from .indexer import ChainRewritten, Index, SchemaChanged, SyncReport, Target, WrongChain, discover, open_index, project

__all__ = ["ChainRewritten", "Index", "SchemaChanged", "SyncReport", "Target", "WrongChain", "discover", "open_index", "project"]
