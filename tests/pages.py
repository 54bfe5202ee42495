"""Junk pages written for the tests (page furniture, no story): shared by the
clustering, ingest and server tests."""

COOKIE_WALL = ("We use cookies to personalise content and ads and to analyse our traffic. By clicking accept or "
               "continuing to use this site you consent to our use of cookies. You can change your cookie settings "
               "at any time in your browser. Read our privacy policy and terms of use. Sign in to your account or "
               "register for a free account to receive our newsletter by email.")
LOGIN_WALL = ("Subscriber log in. Please sign in with your email and password to continue reading. Not a subscriber? "
              "Subscribe today for full access to the website; your subscription includes our newsletters.")
