"""Python verticles that the JUnit suites of jawait's vertx module deploy."""
