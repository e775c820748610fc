"""The BySide CrossGuard policy pack: importable policy modules (see registry.py).

`__main__.py` serves the pack and must never be imported from here.
"""
