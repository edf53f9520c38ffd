"""The staff review workspace: a local web application over the store (``intake web``).

``app`` builds the Starlette application; ``auth`` keeps sessions, CSRF tokens and the
login throttle; ``pages`` and ``actions`` are the GET and POST handlers; ``views`` shapes
the reviewed register for the templates; ``files`` serves stored files and page images.
"""
