"""Browser tests: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright for Python."""
