"""Headless Chromium driven by Playwright against a real Voilà server, and the real Hub."""
