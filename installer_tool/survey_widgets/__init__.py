"""Widgets of the difficult-property survey page: forms, walk test, photographs, results, PDF."""
