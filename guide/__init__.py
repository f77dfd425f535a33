"""guide: a career ladder in YAML in; a career handbook, promotion checklists and packets out."""

__version__ = "0.1.0"
