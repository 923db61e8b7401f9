"""The start every database benchmark shares: the database at DATABASE_URL (``default_url``
when unset) created when missing, then Django set up on it with the project's settings."""

import os


def django_on_database(default_url: str, *, ssl_redirect: bool = True) -> None:
    import psycopg

    url = os.environ.setdefault("DATABASE_URL", default_url)
    if not ssl_redirect:
        os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
    import django

    django.setup()
