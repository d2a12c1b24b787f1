"""The agent's side of the diagnostic: welcome, one question per screen, feedback,
pause, result. Phone first, plain French.

Three ways in:
- the signed-in agent (or an advisor's kiosk session, signed in as the agent) follows
  the card of their home page;
- the personal code printed on the invitation letter (a link or a QR code) opens the
  participation without a password: `open_by_code` starts an anonymous session that
  carries the participation's id and an expiry (`CODE_SESSION_KEY`). That session is
  not signed in, so every other page of the site (all behind login) stays closed; the
  diagnostic views accept it for that one participation only, and it ends by itself
  after CODE_SESSION_MINUTES without activity. Opening a code while signed in as
  somebody else signs that person out first: a shared phone must not mix the two.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.accounts import perms
from tremplin.competences.models import Competence, JobRequirement, plain_level
from tremplin.core import audit
from tremplin.core.enums import AuditAction

from . import adapter
from .bank.illustrations import ILLUSTRATIONS
from .enums import CampaignStatus, ItemKind
from .models import Attempt, Item, Participation

CODE_SESSION_KEY = "diagnostic_code"
CODE_SESSION_MINUTES = 45
KNOWN_WITHOUT_REQUIREMENT = 2  # a level an agent can be told "you already know this" at
NEXT_SHOWN = 3
DONT_KNOW = "je-ne-sais-pas"
CODE_ACTOR = "code personnel du diagnostic"


# --- Access ----------------------------------------------------------------------------


def _code_session(request) -> dict | None:
    if request.user.is_authenticated:
        return None
    return request.session.get(CODE_SESSION_KEY)


def _code_session_expired(state: dict) -> bool:
    return timezone.now() >= dt.datetime.fromisoformat(state["until"])


def _grant_code_session(request, participation: Participation) -> None:
    until = timezone.now() + dt.timedelta(minutes=CODE_SESSION_MINUTES)
    request.session[CODE_SESSION_KEY] = {
        "participation": participation.pk,
        "until": until.isoformat(),
    }
    request.session.set_expiry(CODE_SESSION_MINUTES * 60)


def participation_view(view):
    """Loads the participation of the URL for its agent or its code session; anybody
    else gets a 404 (whether it exists is nobody else's business)."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        participation = get_object_or_404(
            Participation.objects.select_related("campaign", "agent", "agent__job"), pk=pk
        )
        if request.user.is_authenticated:
            request.session.pop(CODE_SESSION_KEY, None)  # signing in ends a code session
            if not perms.can_take_diagnostic(request.user, participation):
                raise Http404
        else:
            state = _code_session(request)
            if state is None:
                return redirect_to_login(request.get_full_path())
            if _code_session_expired(state):
                request.session.flush()
                return render(request, "diagnostic/agent_goodbye.html", {"expired": True})
            if state["participation"] != participation.pk:
                raise Http404
            _grant_code_session(request, participation)  # activity keeps it open
        request.by_code = not request.user.is_authenticated
        if request.by_code:
            # Nobody is signed in: the audit log names the code as the author.
            with audit.acting_as(label=CODE_ACTOR):
                return view(request, participation, *args, **kwargs)
        return view(request, participation, *args, **kwargs)

    return wrapper


def open_by_code(request, code):
    """The link or QR code of the invitation letter."""
    participation = get_object_or_404(Participation, code=code)
    user = request.user
    if perms.can_take_diagnostic(user, participation):
        request.session.pop(CODE_SESSION_KEY, None)
        return redirect("diagnostic:agent_welcome", pk=participation.pk)
    if user.is_authenticated:
        logout(request)
    else:
        request.session.cycle_key()
    _grant_code_session(request, participation)
    with audit.acting_as(label=CODE_ACTOR):
        audit.record(
            AuditAction.LOGIN, obj=participation, summary="diagnostic ouvert par code personnel"
        )
    return redirect("diagnostic:agent_welcome", pk=participation.pk)


def goodbye(request):
    return render(request, "diagnostic/agent_goodbye.html", {"expired": False})


# --- Screens ---------------------------------------------------------------------------


def _attempt_of(participation: Participation) -> Attempt | None:
    return Attempt.objects.filter(participation=participation).first()


def _can_start(participation: Participation) -> bool:
    campaign = participation.campaign
    return (
        campaign.is_open
        and bool(adapter.targets_of(campaign))
        and Item.objects.active().filter(competence__in=campaign.competences.all()).exists()
    )


def _base_context(request, participation, **extra) -> dict:
    return {"participation": participation, "by_code": request.by_code, **extra}


@participation_view
def welcome(request, participation):
    attempt = _attempt_of(participation)
    if attempt is not None and attempt.finished_at:
        return redirect("diagnostic:agent_result", pk=participation.pk)
    return render(
        request,
        "diagnostic/agent_welcome.html",
        _base_context(
            request,
            participation,
            attempt=attempt,
            open=_can_start(participation),
            not_yet=participation.campaign.opens_on > timezone.localdate(),
            closed=participation.campaign.closes_on < timezone.localdate()
            or participation.campaign.status == CampaignStatus.CLOSED,
            title="Mon diagnostic numérique",
        ),
    )


@require_POST
@participation_view
def start(request, participation):
    if not _can_start(participation):
        return redirect("diagnostic:agent_welcome", pk=participation.pk)
    attempt = adapter.start_or_resume(participation)
    if attempt.finished_at:
        return redirect("diagnostic:agent_result", pk=participation.pk)
    return redirect("diagnostic:agent_question", pk=participation.pk)


@dataclass(frozen=True)
class ChoiceView:
    key: str
    text: str
    input_id: str


def _choices_for(attempt: Attempt, item: Item) -> list[ChoiceView]:
    """The choices as shown. Steps of an "order" question are shuffled, the same way at
    every display of this attempt (a reload must not reshuffle what the agent numbered),
    and never in the right order already."""
    choices = list(item.choices)
    if item.kind == ItemKind.ORDER:
        shuffled = choices[:]
        random.Random(f"{attempt.seed}:{item.code}").shuffle(shuffled)
        if shuffled == choices:
            shuffled = shuffled[1:] + shuffled[:1]
        choices = shuffled
    return [ChoiceView(c["key"], c["text"], f"choix-{n}") for n, c in enumerate(choices)]


def _allows_many(item: Item) -> bool:
    return item.kind == ItemKind.MULTIPLE or (
        item.kind == ItemKind.ZONE and len(item.correct_keys) > 1
    )


def _parse_answer(item: Item, choices: list[ChoiceView], data) -> tuple[list[str] | None, str]:
    """(answer, "") or (None, French error). "Je ne sais pas" is handled by the caller."""
    keys = [c.key for c in choices]
    if item.kind == ItemKind.ORDER:
        ranks = {}
        for key in keys:
            value = data.get(f"rang-{key}", "")
            if not value.isdigit() or not 1 <= int(value) <= len(keys):
                return None, "Donnez un numéro à chaque étape."
            ranks[key] = int(value)
        if len(set(ranks.values())) != len(keys):
            return (
                None,
                "Chaque numéro ne sert qu'une fois : 1 pour la première étape, 2 pour la suivante…",
            )
        return sorted(keys, key=ranks.get), ""
    picked = [key for key in data.getlist("reponse") if key in keys]
    if not picked:
        return None, "Choisissez une réponse, ou touchez « Je ne sais pas »."
    if not _allows_many(item):
        picked = picked[:1]
    return list(dict.fromkeys(picked)), ""


def _speech(item: Item, choices: list[ChoiceView]) -> str:
    intro = "Les étapes :" if item.kind == ItemKind.ORDER else "Les réponses :"
    return " ".join([item.stem, intro, *(f"{c.text}." for c in choices)])


@require_http_methods(["GET", "POST"])
@participation_view
def question(request, participation):
    attempt = _attempt_of(participation)
    if attempt is None:
        return redirect("diagnostic:agent_welcome", pk=participation.pk)
    item = adapter.current_item(attempt)
    if item is None:
        return redirect("diagnostic:agent_result", pk=participation.pk)
    if not participation.campaign.is_open:
        return redirect("diagnostic:agent_welcome", pk=participation.pk)
    choices = _choices_for(attempt, item)
    error = ""
    if request.method == "POST":
        response = _answer(request, participation, attempt, item, choices)
        if isinstance(response, str):
            error = response
        else:
            return response
    ranks = {}
    if error and item.kind == ItemKind.ORDER:
        ranks = {c.key: request.POST.get(f"rang-{c.key}", "") for c in choices}
    picked = set(request.POST.getlist("reponse")) if error else set()
    return render(
        request,
        "diagnostic/agent_question.html",
        _base_context(
            request,
            participation,
            attempt=attempt,
            item=item,
            number=attempt.position + 1,
            expected=participation.campaign.max_items,
            choices=[
                {"choice": c, "checked": c.key in picked, "rank": ranks.get(c.key, "")}
                for c in choices
            ],
            many=_allows_many(item),
            illustration=mark_safe(ILLUSTRATIONS.get(item.illustration, "")),  # noqa: S308 (our own SVG)
            speech=_speech(item, choices),
            error=error,
            ranks=range(1, len(choices) + 1),
            title=f"Question {attempt.position + 1}",
        ),
    )


def _answer(request, participation, attempt, item, choices):
    """A redirect after a submission, or the French error to show on the question."""
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        return redirect("diagnostic:agent_question", pk=participation.pk)
    item_code = request.POST.get("question", "")
    if request.POST.get("action") == DONT_KNOW:
        answer = None
    else:
        answer, error = _parse_answer(item, choices, request.POST)
        if error:
            if position != attempt.position or item_code != item.code:
                # A stale screen: show the current question, not an error about the old one.
                return redirect("diagnostic:agent_question", pk=participation.pk)
            return error
    if adapter.submit(attempt, position=position, item_code=item_code, answer=answer):
        return redirect("diagnostic:agent_feedback", pk=participation.pk, position=position)
    # Twice the same screen (double tap, back button): show what the first one recorded.
    if attempt.responses.filter(position=position, item__code=item_code).exists():
        return redirect("diagnostic:agent_feedback", pk=participation.pk, position=position)
    return redirect("diagnostic:agent_question", pk=participation.pk)


@participation_view
def feedback(request, participation, position):
    attempt = _attempt_of(participation)
    if attempt is None:
        raise Http404
    response = get_object_or_404(
        attempt.responses.select_related("item", "item__competence"), position=position
    )
    item = response.item
    texts = {c["key"]: c["text"] for c in item.choices}
    right = [texts[key] for key in item.correct_keys]
    return render(
        request,
        "diagnostic/agent_feedback.html",
        _base_context(
            request,
            participation,
            attempt=attempt,
            response=response,
            item=item,
            right=right,
            ordered=item.kind == ItemKind.ORDER,
            number=position + 1,
            finished=attempt.finished_at is not None,
            speech=" ".join(
                [("La bonne réponse était : " + ", ".join(right) + "."), item.explanation]
            ),
            title=f"Réponse à la question {position + 1}",
        ),
    )


@participation_view
def pause(request, participation):
    attempt = _attempt_of(participation)
    return render(
        request,
        "diagnostic/agent_pause.html",
        _base_context(
            request,
            participation,
            answered=attempt.position if attempt else 0,
            title="Faire une pause",
        ),
    )


@require_POST
def end_code_session(request):
    """Closes the code session on a shared phone; the letter's code opens it again."""
    if _code_session(request) is not None:
        request.session.flush()
    return redirect("diagnostic:agent_goodbye")


@dataclass(frozen=True)
class ResultLine:
    competence: Competence
    level: int
    required: int | None

    @property
    def known(self) -> bool:
        return self.level >= (self.required or KNOWN_WITHOUT_REQUIREMENT)

    @property
    def words(self) -> str:
        return plain_level(self.level)

    @property
    def required_words(self) -> str:
        return plain_level(self.required) if self.required else ""


def result_lines(participation: Participation, attempt: Attempt) -> list[ResultLine]:
    levels = adapter.result_levels(attempt)
    competences = Competence.objects.filter(code__in=levels).order_by("position", "code")
    required = {}
    if participation.agent.job_id:
        required = dict(
            JobRequirement.objects.filter(
                job_id=participation.agent.job_id, competence__code__in=levels
            ).values_list("competence__code", "level")
        )
    return [ResultLine(c, levels[c.code], required.get(c.code)) for c in competences]


@participation_view
def result(request, participation):
    attempt = _attempt_of(participation)
    if attempt is None or not attempt.finished_at:
        return redirect("diagnostic:agent_welcome", pk=participation.pk)
    lines = result_lines(participation, attempt)
    known = [line for line in lines if line.known]
    weakest = sorted((line for line in lines if not line.known), key=lambda line: line.level)
    further = []
    if not weakest:
        further = sorted(lines, key=lambda line: line.level)[:1]
    return render(
        request,
        "diagnostic/agent_result.html",
        _base_context(
            request,
            participation,
            attempt=attempt,
            known=known,
            next_lines=weakest[:NEXT_SHOWN],
            further=further,
            answered=attempt.position,
            home_url=None if request.by_code else reverse("core:home"),
            title="Mon résultat",
        ),
    )
