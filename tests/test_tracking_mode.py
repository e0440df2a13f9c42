"""wandb's mode follows the user: logger.mode, else WANDB_MODE, else online only with an API key
(docs/reliability.md, case 8)."""

from __future__ import annotations

import pytest

from stance.runtime.tracking import wandb_mode


@pytest.mark.parametrize(("configured", "env", "expected"), [
    (None, {"WANDB_API_KEY": "k", "WANDB_MODE": "offline"}, "offline"),  # the issue: the key won over the mode
    (None, {"WANDB_API_KEY": "k", "WANDB_MODE": "disabled"}, "disabled"),
    (None, {"WANDB_API_KEY": "k", "WANDB_MODE": "dryrun"}, "offline"),
    (None, {"WANDB_API_KEY": "k"}, "online"),
    (None, {}, "offline"),
    (None, {"WANDB_MODE": "online"}, "online"),
    ("offline", {"WANDB_API_KEY": "k", "WANDB_MODE": "online"}, "offline"),  # the config says it explicitly
])
def test_wandb_mode(configured: str | None, env: dict[str, str], expected: str) -> None:
    assert wandb_mode(configured, env) == expected


def test_wandb_disabled_env_is_respected() -> None:
    assert wandb_mode(None, {"WANDB_DISABLED": "true", "WANDB_API_KEY": "k"}) == "disabled"


def test_an_unknown_mode_is_a_config_error() -> None:
    from stance.errors import ConfigError

    with pytest.raises(ConfigError, match="WANDB_MODE 'ofline'"):
        wandb_mode(None, {"WANDB_MODE": "ofline"})
