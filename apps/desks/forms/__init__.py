"""The desks' forms: one Django form per action a desk's page posts, one module per desk.

Each form is bound to what the clerk posted (and to the ids in the address, posted like any field)
and to the object on the page — the filing, case, seal or escalation — against which it checks
every id (a material must be on *this* filing's list, an issue request must be *this* filing's
pending one) and every choice (the special procedures *this* item allows). Texts are as long as
their column takes (``apps.audit.input_limits.text_limit``). A form that does not validate is said to
the clerk field by field (``apps.desks.actions``), in their language; the rules of the domain stay in
the services, which the form's ``arguments()`` feed.
"""
