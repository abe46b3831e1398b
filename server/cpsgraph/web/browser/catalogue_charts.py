"""Interface strings of the charts (charts.py) in Spanish and English, merged into catalogue.STRINGS: titles,
axis and legend titles, tooltips, and what a screen reader hears for each chart, axis, legend and mark."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # what Vega names in English (aria-roledescription), rewritten by charts.js
    "chart.role.chart": ("gráfico", "chart"),
    "chart.role.axis": ("eje", "axis"),
    "chart.role.legend": ("leyenda", "legend"),
    "chart.role.marks": ("grupo de marcas", "group of marks"),
    "chart.role.mark": ("marca", "mark"),
    "chart.role.bar": ("barra", "bar"),
    "chart.role.geoshape": ("país", "country"),
    "chart.role.rect": ("casilla", "cell"),
    "chart.role.point": ("marca de inicio", "start mark"),
    "chart.axis.x": ("Eje horizontal: {title}", "Horizontal axis: {title}"),
    "chart.axis.y": ("Eje vertical: {title}", "Vertical axis: {title}"),
    "chart.legend": ("Leyenda: {title}", "Legend: {title}"),
    "chart.number": ("Número", "Number"),
    "chart.yes": ("sí", "yes"),
    "chart.no": ("no", "no"),
    # the agenda
    "chart.agenda": ("La agenda, día {n}: {day}", "The agenda, day {n}: {day}"),
    "chart.session": ("Sesión", "Session"),
    "chart.session-kind": ("Tipo de sesión", "Kind of session"),
    "chart.start": ("Comienzo", "Start"),
    "chart.end": ("Fin", "End"),
    "chart.time": ("Hora", "Time of day"),
    "chart.source.agenda": ("Fuente: Anexo II, la agenda. Un triángulo marca una sesión cuyo fin la agenda no indica.",
                            "Source: Anexo II, the agenda. A triangle marks a session whose end the agenda does not give."),
    # the Steering Committee
    "chart.steering-committee": ("El Comité Directivo antes y después de la reunión",
                                 "The Steering Committee before and after the meeting"),
    "chart.committee.before": ("Antes", "Before"),
    "chart.committee.after": ("Después", "After"),
    "chart.committee.term": ("Período", "Term"),
    "chart.committee.role_in": ("Rol ({term})", "Role ({term})"),
    "chart.committee.status": ("Cambio", "Change"),
    "chart.committee.stayed": ("Siguió en el Comité", "Stayed on"),
    "chart.committee.left": ("Dejó el Comité", "Left"),
    "chart.committee.joined": ("Entró al Comité", "Joined"),
    "chart.role": ("Rol", "Role"),
    "chart.ad_referendum": ("Ad referéndum", "Ad referendum"),
    "chart.source.committee": ("Antes: el Comité elegido en Nicaragua; después: el elegido en São Paulo. "
                               "* Elegido ad referéndum. Fuente: §59, §60a y §71d.i.",
                               "Before: the Committee elected in Nicaragua; after: the one elected in São Paulo. "
                               "* Elected ad referendum. Source: §59, §60a and §71d.i."),
    # priorities
    "chart.priorities-by-theme": ("Áreas prioritarias por tema y subregión", "Priority areas by theme and subregion"),
    "chart.theme": ("Tema", "Theme"),
    "chart.priorities": ("Áreas prioritarias", "Priority areas"),
    "chart.source.themes": ("Fuente: Anexo IV.1-IV.4; los temas son los encabezamientos de los curadores.",
                            "Source: Anexo IV.1-IV.4; the themes are the curators' subject headings."),
    # the charts of one country, subregion or plan
    "chart.delegation-by-sector": ("La delegación de {name} por tipo de organización",
                                   "The delegation of {name} by kind of organization"),
    "chart.delegations-of-subregion": ("Entradas de la lista de participantes por país: {name}",
                                       "Entries of the list of participants by country: {name}"),
    "chart.plan-activities-by-horizon": ("Actividades por horizonte temporal: {name}",
                                         "Activities by time horizon: {name}"),
    "chart.plan-outline": ("Resultados esperados y actividades de cada prioridad: {name}",
                           "Expected results and activities of each priority: {name}"),
    "chart.priority": ("Prioridad", "Priority"),
    "chart.results": ("Resultados esperados", "Expected results"),
    "chart.counted": ("Cuántos", "How many"),
}
