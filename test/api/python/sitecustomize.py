# Loaded only by `npm run test:api` (through PYTHONPATH). CPython 3.11 can raise "SystemError: AST
# constructor recursion depth mismatch" (fixed in 3.12) while Hypothesis merely *describes* a lambda for
# its reports; schemathesis then reports a runtime error that has nothing to do with the API under test.
import sys

if sys.version_info < (3, 12):
    try:
        import hypothesis.internal.lambda_sources as _sources
    except ImportError:
        pass
    else:
        _describe = _sources._lambda_description

        def _lambda_description(f, *args, **kwargs):
            try:
                return _describe(f, *args, **kwargs)
            except SystemError:
                return "lambda: <unknown>"

        _sources._lambda_description = _lambda_description
