"""The gateway refuses the bodies the services refuse, before passing them on."""

import re

from shared.settings import ServiceSettings
from tests.deploy.nginx import locations
from tests.deploy.test_compose import ROOT

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
_SIZE = re.compile(r"^\s*client_max_body_size\s+(\d+)([kKmM]?)\s*;", re.M)
_UNITS = {"": 1, "k": 1024, "m": 1024 * 1024}


def test_the_gateway_limits_request_bodies_to_the_services_default() -> None:
    sizes = [int(number) * _UNITS[unit.lower()] for number, unit in _SIZE.findall(NGINX_CONF.read_text())]

    assert sizes == [ServiceSettings.model_fields["max_body_size"].default]
    assert not any("client_max_body_size" in location.body for location in locations(NGINX_CONF))
