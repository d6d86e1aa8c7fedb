"""The skill vocabulary: each canonical skill (its display name) with the other ways résumés and job posts write it.

Data, not code: add a line to teach the parser a skill or a spelling. Keys are compared after
:func:`core.jobs.ats.scoring.skills.normalise` (case, width, spacing and surrounding punctuation do not matter).
A skill named in a job's settings that is not listed here still matches when the résumé writes it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ("AMBIGUOUS", "SKILL_ALIASES")

SKILL_ALIASES: Mapping[str, tuple[str, ...]] = {
    # Languages
    "Python": ("python3", "python 3", "py"),
    "Java": ("java 8", "java 11", "java 17", "core java"),
    "JavaScript": ("js", "javascript es6", "es6", "ecmascript"),
    "TypeScript": ("ts",),
    "Go": ("golang",),
    "Rust": ("rust lang", "rustlang"),
    "C": ("c language", "ansi c"),
    "C++": ("cpp", "c plus plus"),
    "C#": ("c sharp", "csharp"),
    "Ruby": (),
    "PHP": (),
    "Kotlin": (),
    "Swift": (),
    "Scala": (),
    "R": ("r language", "r programming"),
    "SQL": ("structured query language",),
    "Bash": ("shell scripting", "shell", "bash scripting"),
    "HTML": ("html5",),
    "CSS": ("css3",),
    "Dart": (),
    # Frameworks and libraries
    "React": ("react.js", "reactjs", "react js"),
    "React Native": ("react-native",),
    "Angular": ("angularjs", "angular.js", "angular js"),
    "Vue.js": ("vue", "vuejs", "vue js"),
    "Next.js": ("nextjs", "next js"),
    "Node.js": ("node", "nodejs", "node js"),
    "Express": ("express.js", "expressjs"),
    "Django": ("django rest framework", "drf"),
    "Flask": (),
    "FastAPI": ("fast api",),
    "Litestar": (),
    "Spring Boot": ("spring", "springboot", "spring framework"),
    "Ruby on Rails": ("rails", "ror"),
    "Laravel": (),
    ".NET": ("dotnet", "dot net", "asp.net", ".net core"),
    "Flutter": (),
    "TensorFlow": ("tensor flow",),
    "PyTorch": ("torch",),
    "scikit-learn": ("sklearn", "scikit learn"),
    "Pandas": (),
    "NumPy": (),
    "SQLAlchemy": (),
    "GraphQL": (),
    "REST APIs": ("rest api", "restful", "restful apis", "restful api", "rest services"),
    "gRPC": (),
    # Data stores and messaging
    "PostgreSQL": ("postgres", "postgresql", "psql"),
    "MySQL": (),
    "SQLite": (),
    "MongoDB": ("mongo",),
    "Redis": (),
    "Elasticsearch": ("elastic search", "elk"),
    "Kafka": ("apache kafka",),
    "RabbitMQ": ("rabbit mq",),
    "Oracle Database": ("oracle", "oracle db"),
    "DynamoDB": ("dynamo db",),
    # Cloud and operations
    "AWS": ("amazon web services",),
    "Azure": ("microsoft azure",),
    "GCP": ("google cloud", "google cloud platform"),
    "Docker": ("docker compose",),
    "Kubernetes": ("k8s",),
    "Terraform": (),
    "Ansible": (),
    "Linux": ("unix",),
    "Git": ("github", "gitlab"),
    "CI/CD": ("ci cd", "continuous integration", "continuous delivery", "continuous deployment"),
    "Jenkins": (),
    "Microservices": ("microservice", "micro-services", "micro services"),
    # Data and AI
    "Machine Learning": ("ml",),
    "Deep Learning": (),
    "Natural Language Processing": ("nlp",),
    "Computer Vision": (),
    "Data Analysis": ("data analytics",),
    "Spark": ("apache spark", "pyspark"),
    "Tableau": (),
    "Power BI": ("powerbi",),
    "Excel": ("microsoft excel", "ms excel"),
    # Practices and other
    "Agile": ("scrum", "kanban"),
    "Test-Driven Development": ("tdd",),
    "Unit Testing": ("pytest", "junit", "jest", "unit tests"),
    "System Design": (),
    "Figma": (),
    "Project Management": (),
    "Communication": ("communication skills",),
    "Leadership": ("team leadership",),
}

# Canonical skills whose names are everyday words or single letters: they count only when the résumé's skills
# section lists them (or a job's skill is spelled the same way there), never because prose mentions them.
AMBIGUOUS: frozenset[str] = frozenset(
    {"Go", "C", "R", "Swift", "Express", "Spring Boot", "Communication", "Leadership", "Excel", "Dart", "Rust"}
)
