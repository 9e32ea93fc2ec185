"""The /v1 API over the compiled models: views per resource (`service.api.views`),
request schemas, the model's documents and answers (`ModelAPI`), headers and errors."""
