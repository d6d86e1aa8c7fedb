"""The settings are sections of typed fields, each read from one flat ``CAREERNEXUS_*`` variable; the README's
configuration table is generated from them (``python -m bootstrap.settings``) and must match the code."""

from __future__ import annotations

from pathlib import Path

from bootstrap.settings import PREFIX, Settings, load_settings, markdown_table, variables

README = Path(__file__).resolve().parents[2] / "README.md"

# Every variable the flat settings read before they were split into sections (names must keep working).
FLAT_NAMES = (
    "env database_url secret_key public_url frontend_url cors_origins var_dir log_level email_backend smtp_host "
    "smtp_port smtp_username smtp_password smtp_tls email_from mail_retry_base_seconds mail_poll_seconds "
    "google_client_id google_client_secret google_redirect_uri google_redirect_uri_signup google_token_url "
    "google_jwks_url access_token_ttl refresh_token_ttl refresh_chain_max_age password_hash auth_cache_seconds "
    "gc_tuning redis_url rate_limit_max_keys trusted_proxies serve_limit_concurrency serve_timeout_keep_alive "
    "serve_header_timeout serve_max_header_bytes db_pool_size request_max_body_size storage_backend media_root "
    "media_url s3_bucket s3_endpoint_url s3_region s3_public_url s3_access_key_id s3_secret_access_key "
    "max_image_bytes max_portfolio_image_bytes max_video_bytes max_document_bytes write_limit_per_minute "
    "write_limit_per_day profile_records_max profile_reads_per_minute "
    "metrics_enabled metrics_token read_cache_staleness_seconds read_cache_max_bytes "
    "queue task_concurrency task_lease_seconds task_timeout_seconds task_max_attempts task_backoff_base_seconds "
    "task_backoff_cap_seconds task_poll_seconds task_retention_days task_scheduler "
    "saq_queue task_sweep_seconds "
    "realtime_queue_size realtime_heartbeat_seconds realtime_channel_prefix "
    "newsletter_batch_size max_library_file_bytes max_newsletter_image_bytes "
    "newsletter_subscribes_per_hour lead_registers_per_hour"
    " mentorship_session_minutes mentorship_join_early_minutes jaas_app_id jaas_key_id jaas_private_key_file"
    " payments_sandbox reconcile_payments_after_minutes"
    " stripe_secret_key stripe_webhook_secret stripe_api_base flutterwave_secret_key flutterwave_webhook_hash"
    " flutterwave_api_base"
    " platform_fee_basis_points vault_minimum_withdrawal"
    " gmail_api_base gmail_timeout_seconds"
    " ats_link_valid_days ats_link_max_opens ats_check_email_per_minute"
).split()


def _readme_table() -> str:
    text = README.read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|")) + "\n"


def test_readme_table_is_the_generated_one() -> None:
    assert _readme_table() == markdown_table(), "run `python -m bootstrap.settings` and paste it into the README"


def test_every_variable_is_declared_once_and_every_old_name_still_works() -> None:
    names = [v.env for v in variables()]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(n.upper() for n in FLAT_NAMES)


def test_each_variable_reaches_its_section_field(tmp_path: Path) -> None:
    env = {PREFIX + "SECRET_KEY": "k" * 40, PREFIX + "VAR_DIR": str(tmp_path)}
    env |= {PREFIX + "DB_POOL_SIZE": "7", PREFIX + "SERVE_HEADER_TIMEOUT": "2.5", PREFIX + "EMAIL_FROM": "x <x@y.z>"}
    env |= {PREFIX + "PROFILE_RECORDS_MAX": "9", PREFIX + "GOOGLE_CLIENT_SECRET": "g" * 10}
    settings = load_settings(env)
    assert settings.database.pool_size == 7
    assert settings.serve.header_timeout == 2.5
    assert settings.mail.sender == "x <x@y.z>"
    values = {v.env: v for v in variables()}
    from bootstrap.domains.accounts import AccountsSettings

    accounts = settings.section(AccountsSettings)
    assert accounts.profile_records_max == 9
    assert accounts.google_client_secret.get() == "g" * 10
    assert values["PROFILE_RECORDS_MAX"].path == "accounts.profile_records_max"
    # Typed test overrides by variable name.
    changed = Settings().with_values(db_pool_size=3, profile_records_max=4)
    assert changed.database.pool_size == 3
    assert changed.section(AccountsSettings).profile_records_max == 4
