"""`byside audit dc-access`: the annual review of who may enter a data centre.

Modules: :mod:`.csvfile` (reading CSV inputs), :mod:`.inputs` (authorised list, HR roster,
previous review), :mod:`.events` (streaming the badge export; DCA-05..08), :mod:`.findings`
(DCA-01..04, 09, 10), :mod:`.codes` (codes and decisions), :mod:`.review` (the review as data),
:mod:`.report` (rendering and writing the bundle).
"""

from .csvfile import InputError
from .review import Params, Review, run_review
from .report import write_review

__all__ = ["InputError", "Params", "Review", "run_review", "write_review"]
