"""The email as structured output: what a model must return and what the offline composer builds.

Pydantic sits here because this is the I/O boundary with models: a malformed answer fails
validation with a message that names the field.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# A fact the sender must still supply, written into the email as [[what is missing]].
FILL_IN = re.compile(r"\[\[[^\[\]\n]+\]\]")

Step = Literal[
    "regret", "impact", "explanation", "responsibility", "remedy", "compensation", "closing",
]


class Paragraph(BaseModel):
    model_config = ConfigDict(extra="ignore")

    step: Step = Field(description="The rubric step this paragraph carries.")
    text: str = Field(
        min_length=1, max_length=800, description="The paragraph, in the email's language."
    )


class EmailOut(BaseModel):
    """One apology email, paragraph by paragraph, each tagged with its rubric step."""

    model_config = ConfigDict(extra="ignore")

    # Limits keep a grammar-constrained small model from running out of tokens mid-JSON.
    subject: str = Field(min_length=1, max_length=150)
    greeting: str = Field(min_length=1, max_length=100)
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=8)
    sign_off: str = Field(min_length=1, max_length=200)
    fill_ins: list[str] = Field(
        default_factory=list, max_length=12,
        description="Facts still to fill in, written as [[what is missing]].",
    )

    def body(self) -> str:
        return "\n\n".join([self.greeting, *(p.text for p in self.paragraphs), self.sign_off])

    def text(self) -> str:
        """Subject and body: everything the customer reads."""
        return f"{self.subject}\n\n{self.body()}"


def email_schema() -> dict:
    """The JSON schema sent to models that support structured output."""
    return EmailOut.model_json_schema()
