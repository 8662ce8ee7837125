# The graphkit command line, for docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphkit ./graphkit
COPY cypher ./cypher
COPY ml ./ml
COPY api ./api
# Editable, so the package finds cypher/ beside it.
RUN pip install --no-cache-dir -e .
ENV GRAPHKIT_CYPHER_DIR=/app/cypher
ENTRYPOINT []
CMD ["graphkit", "--help"]
