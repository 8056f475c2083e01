from learnward.privacy.registry import declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import TransferPermissions

# No table and no rows: it only carries the "transfer_courses" permission.
declare(TransferPermissions, fields={"id": NOT_PERSONAL})
