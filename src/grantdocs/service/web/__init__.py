"""The web pages of ``grantdocs serve`` (issue 13): see WEB.md."""
