"""The README's configuration tables name every setting the services read."""

import pytest

from tests.deploy.test_compose import ROOT, SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_every_setting_is_documented(service: str) -> None:
    readme = (ROOT / "README.md").read_text()
    settings_class, _ = SERVICES[service]

    undocumented = [name.upper() for name in settings_class.model_fields if f"`{name.upper()}`" not in readme]

    assert undocumented == []
