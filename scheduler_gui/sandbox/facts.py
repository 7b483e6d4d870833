"""Fixed facts of the sandbox institution: credentials, users and courses tests rely on."""

from __future__ import annotations

CLIENT_STRING = "sandbox"
APPLICATION_ID = "sandbox-app"
APPLICATION_NAME = "Sandbox"
TOKEN_KEY_MONIKER = "sandbox-moniker"  # noqa: S105 - public demo credential
SHARED_SECRET = "0123456789abcdef0123456789abcdef"  # noqa: S105 - public demo credential

# user name -> (user id, institution role, first name, last name); password = user name.
USERS: dict[str, tuple[int, str, str, str]] = {
    "admin": (100001, "ADMN", "Ada", "Admin"),
    "prof": (100002, "PROF", "Pat", "Professor"),
    "ta": (100003, "TAST", "Terry", "Assistant"),
    "student": (100004, "STUD", "Sam", "Student"),
    "jdoe": (100005, "STUD", "Jane", "Doe"),
    "rlee": (100006, "STUD", "Robin", "Lee"),
    "prof2": (100007, "PROF", "Morgan", "Other"),
}

DEMO_COURSE_ID = 123456
DEMO_CALL_NUMBER = "DEMO-101"
BIG_COURSE_ID = 900000
BIG_CALL_NUMBER = "BIG-900"
SECTION_COURSE_ID = 123457  # a second section of DEMO-101 whose tree differs a little
SECTION_CALL_NUMBER = "DEMO-101-02"
OTHER_COURSE_ID = 234567  # taught by prof2, not prof: exercises the feed visibility rule
OTHER_CALL_NUMBER = "ART-210"

# The two items of the item-schedules page's example, with their exact data.
COURSE_HOME_ID = 987654321
ASSIGNMENT_1_ID = 987456123

TOKEN_TTL = 3600
ENTRY_URL_TTL = 5 * 60
CLOCK_LIFETIME = 45 * 60
OAUTH1_WINDOW = 5 * 60
