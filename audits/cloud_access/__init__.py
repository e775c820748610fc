"""`byside audit access`: the cloud access review (IAM credential report, roles and their
policies judged by policies/iam_rules.py, unused principals, principals outside the access model).

read.py talks to AWS (boto3); review.py is pure; report.py renders through audits/export.py.
"""

from .codes import CHECKS, Check
from .read import Inventory, ReadError, read_inventory
from .report import write_review
from .review import NOT_AVAILABLE, Params, Review, declared_roles, review

__all__ = ["CHECKS", "Check", "Inventory", "NOT_AVAILABLE", "Params", "ReadError", "Review", "declared_roles",
           "read_inventory", "review", "write_review"]
