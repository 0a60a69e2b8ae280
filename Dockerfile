# syntax=docker/dockerfile:1
# The API and the worker share this image; the web app is built in the first stage.

FROM node:20-bookworm-slim AS pwa
WORKDIR /pwa
COPY pwa/package.json pwa/package-lock.json ./
# A local package of the lock file (openapi-typescript with its TypeScript 5; the build does not run it).
COPY pwa/tools/api-types/package.json ./tools/api-types/
RUN npm ci --no-audit --no-fund
COPY pwa/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OMP_THREAD_LIMIT=1 \
    APP_ENV=production \
    DATA_DIR=/data \
    PWA_DIST=/app/pwa/dist \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng tesseract-ocr-osd \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY backend/ backend/
COPY ocr/ ocr/
COPY notifications/ notifications/
RUN pip install --no-cache-dir -c requirements.lock . \
 && pip uninstall -y opencv-python \
 && pip install --no-cache-dir --force-reinstall --no-deps -c requirements.lock opencv-python-headless
COPY --from=pwa /pwa/dist /app/pwa/dist
RUN useradd --system --uid 10001 --home /data selfservice && mkdir -p /data && chown selfservice /data
USER selfservice
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/ready').status != 200)"
CMD ["selfservice", "run"]
