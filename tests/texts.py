"""Small texts written for the tests, shared by several test files."""

BRIDGE_ARTICLES = [
    """The city council voted on Tuesday to close the old river bridge for repairs.
Engineers found deep cracks in two of the bridge's steel supports last month.
The repairs are expected to take about six months and cost nearly four million dollars.
Commuters will be sent to the new highway bridge two miles to the north.
Local shop owners near the old bridge said they feared losing customers during the closure.""",
    """Officials will shut the river bridge for half a year after inspectors found cracked supports.
The council approved the closure and the repair budget in a unanimous vote.
Drivers should expect longer trips while traffic uses the highway bridge.
The mayor said the safety of residents came before any inconvenience.
A public meeting about detours is planned for next week at the library.""",
]

# Junk pages (page furniture, no story): the clustering, ingest and server tests.
COOKIE_WALL = ("We use cookies to personalise content and ads and to analyse our traffic. By clicking accept or "
               "continuing to use this site you consent to our use of cookies. You can change your cookie settings "
               "at any time in your browser. Read our privacy policy and terms of use. Sign in to your account or "
               "register for a free account to receive our newsletter by email.")
LOGIN_WALL = ("Subscriber log in. Please sign in with your email and password to continue reading. Not a subscriber? "
              "Subscribe today for full access to the website; your subscription includes our newsletters.")
