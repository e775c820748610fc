"""`byside audit dc-access`: the annual review of who may enter a data centre.

Modules: :mod:`.csvfile` (reading CSV inputs), :mod:`.mapping` (input formats: another system's
columns and values), :mod:`.inputs` (authorised list, HR roster, previous review — unsigned or
signed), :mod:`.events` (streaming the badge export; DCA-05..08, DCA-11), :mod:`.findings`
(DCA-01..04, 09, 10), :mod:`.codes` (codes and decisions), :mod:`.review` (the review as data),
:mod:`.guard` (what stops a review from being signed as is), :mod:`.report` (rendering the bundle);
closing the review: :mod:`.decisions` (reading the reviewer's decisions), :mod:`.sign` (checking
and applying them, pure), :mod:`.signed` (the signed folder), :mod:`.signedfile` (reading and
verifying a signed folder).
"""

from .csvfile import InputError
from .review import Params, Review, run_review
from .report import write_review

__all__ = ["InputError", "Params", "Review", "run_review", "write_review"]
