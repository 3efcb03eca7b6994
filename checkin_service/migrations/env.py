from checkin_service.models import Base
from shared.db import run_alembic_env

run_alembic_env(Base.metadata)
