"""The /v1 views, one module per resource, each with its own Blueprint that
`create_app` registers.

A view is thin: it reads the body, has it validated (marshmallow schemas,
`service.api.scenario`), hands the work to `ModelAPI` or `service.analysis` and answers.
"""
