# The hall portal image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HALL_ENV=production HALL_VAR_DIR=/var/lib/hall HALL_STATIC_ROOT=/app/staticfiles

# Chinese fonts for PDFs; poppler for nothing at run time (tests only), so not installed here.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app hall && mkdir -p /var/lib/hall && chown hall /var/lib/hall

WORKDIR /app
COPY pyproject.toml README.md ./
COPY hall ./hall
COPY apps ./apps
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings that pass the production guard; these values exist only for this step.
RUN SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))') \
    ALLOWED_HOSTS=build.invalid python manage.py collectstatic --noinput

USER hall
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn hall.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_WORKERS:-3} --access-logfile - --access-logformat '%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(b)s %(L)ss'"]
