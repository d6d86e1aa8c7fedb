from __future__ import annotations

from pathlib import Path

import pytest

from bootstrap.settings import Secret, SettingsError, load_settings


def test_defaults_run_the_embedded_stack(tmp_path: Path) -> None:
    settings = load_settings({"CAREERNEXUS_VAR_DIR": str(tmp_path)})
    assert settings.database.url == "sqlite+aiosqlite:///./var/careernexus.db"
    assert settings.mail.backend == "console"
    assert settings.storage.backend == "local"
    assert settings.http.public_url == "http://127.0.0.1:8000"
    assert len(settings.auth.secret_key.get()) >= 32
    # The generated development key is kept, so tokens survive a restart.
    assert load_settings({"CAREERNEXUS_VAR_DIR": str(tmp_path)}).auth.secret_key == settings.auth.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_values_are_typed_and_secrets_hidden(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "CAREERNEXUS_VAR_DIR": str(tmp_path),
            "CAREERNEXUS_SMTP_PORT": "2525",
            "CAREERNEXUS_SMTP_PASSWORD": "hunter2-smtp",
            "CAREERNEXUS_SECRET_KEY": "k" * 40,
            "CAREERNEXUS_DATABASE_URL": "postgresql+asyncpg://app:dbpass@db:5432/cn",
            "CAREERNEXUS_CORS_ORIGINS": "https://a.example, https://b.example",
            "CAREERNEXUS_GOOGLE_CLIENT_SECRET": "g-secret-value",
        }
    )
    assert settings.mail.smtp_port == 2525
    assert settings.http.cors_origins == ("https://a.example", "https://b.example")
    assert settings.mail.smtp_password.get() == "hunter2-smtp"
    text = repr(settings)
    for secret in ("hunter2-smtp", "k" * 40, "dbpass", "g-secret-value"):
        assert secret not in text
    assert isinstance(settings.auth.secret_key, Secret)


def test_production_requires_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings({"CAREERNEXUS_ENV": "production", "CAREERNEXUS_VAR_DIR": str(tmp_path)})
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings({"CAREERNEXUS_SECRET_KEY": "short", "CAREERNEXUS_VAR_DIR": str(tmp_path)})


def test_invalid_values_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        load_settings({"CAREERNEXUS_VAR_DIR": str(tmp_path), "CAREERNEXUS_EMAIL_BACKEND": "pigeon"})
    with pytest.raises(SettingsError):
        load_settings({"CAREERNEXUS_VAR_DIR": str(tmp_path), "CAREERNEXUS_SMTP_PORT": "many"})
