"""PathSix CRM sync server: aiohttp application, services and persistence."""

__version__ = "0.1.0"
