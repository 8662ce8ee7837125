# The graphkit command line and `graphkit serve` (the API and the page), for docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY graphkit ./graphkit
COPY cypher ./cypher
COPY ml ./ml
COPY api ./api
# Editable, so the package finds cypher/ beside it; the ml extra scores uploads and finds
# similar artworks (torch and torchvision pinned as a pair by constraints.txt).
RUN pip install --no-cache-dir -c constraints.txt -e '.[ml]'
EXPOSE 8000
ENV GRAPHKIT_CYPHER_DIR=/app/cypher
ENTRYPOINT []
CMD ["graphkit", "--help"]
