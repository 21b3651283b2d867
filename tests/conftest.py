"""pytest options: ``--update-fixtures`` rewrites the expected outputs of fixture articles."""


def pytest_addoption(parser):
    parser.addoption(
        "--update-fixtures", action="store_true",
        help="Rewrite tests/fixtures/**/expected/* from the current output (review the diff!).",
    )
