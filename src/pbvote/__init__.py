"""pbvote: a pure-Python participatory-budget counting engine.

Read and write Pabulib files, count with greedy, Method of Equal Shares and Phragmén rules
exactly as pabutools does (but much faster), and explain every decision in Latvian and English.

>>> import pbvote
>>> election = pbvote.parse_pabulib("Poland_Swiecie_2023.pb")  # doctest: +SKIP
>>> result = pbvote.count(election, rule="mes-add1")  # doctest: +SKIP
>>> result.winners, result.explanations["c1"].sentence("lv")  # doctest: +SKIP
"""

from .model import Ballot, Election, Profile, Project
from .pabulib import PabulibError, pabulib_text, parse_pabulib, parse_pabulib_text, write_pabulib
from .result import Explanation, Result, count
from .rules import RULES

__all__ = [
    "RULES",
    "Ballot",
    "Election",
    "Explanation",
    "PabulibError",
    "Profile",
    "Project",
    "Result",
    "count",
    "pabulib_text",
    "parse_pabulib",
    "parse_pabulib_text",
    "write_pabulib",
]
