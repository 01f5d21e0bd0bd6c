"""The popup's messages, (English, Dutch) per key; merged into _locales by messages.py."""

POPUP = {
}
