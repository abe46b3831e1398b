"""Terms of the CPS-LAC ontology. Generated from ontology/cps.ttl by `cpsgraph gen-vocab`: do not edit."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class CPS(DefinedNamespace):
    _fail = True
    _NS = Namespace("https://w3id.org/cps-lac/ontology#")

    ActionPlan: URIRef  # Class: Action plan
    Activity: URIRef  # Class: Activity
    ActorType: URIRef  # Class: Actor type
    Agenda: URIRef  # Class: Agenda
    Agreement: URIRef  # Class: Agreement
    Answer: URIRef  # Class: Answer
    CommonPriorityArea: URIRef  # Class: Common priority area
    Conclusion: URIRef  # Class: Conclusion
    Consideration: URIRef  # Class: Consideration
    ExpectedResult: URIRef  # Class: Expected result
    Finding: URIRef  # Class: Finding
    Footnote: URIRef  # Class: Footnote
    Framework: URIRef  # Class: Framework
    GuidingQuestion: URIRef  # Class: Guiding question
    Indicator: URIRef  # Class: Indicator
    Initiative: URIRef  # Class: Initiative
    Meeting: URIRef  # Class: Meeting
    Objective: URIRef  # Class: Objective
    Panel: URIRef  # Class: Panel
    Participation: URIRef  # Class: Participation
    ParticipationCount: URIRef  # Class: Participation count
    Passage: URIRef  # Class: Passage
    Plan: URIRef  # Class: Plan
    PlanStatement: URIRef  # Class: Plan statement
    Policy: URIRef  # Class: Policy
    Presentation: URIRef  # Class: Presentation
    Priority: URIRef  # Class: Priority
    Programme: URIRef  # Class: Programme
    ProgrammeProposal: URIRef  # Class: Programme proposal
    Recommendation: URIRef  # Class: Recommendation
    RecommendationPoint: URIRef  # Class: Recommendation point
    Report: URIRef  # Class: Report
    ReportedResult: URIRef  # Class: Reported result
    Session: URIRef  # Class: Session
    SteeringCommitteeSeat: URIRef  # Class: Steering Committee seat
    Strategy: URIRef  # Class: Strategy
    Subregion: URIRef  # Class: Subregion
    TaskForce: URIRef  # Class: Marrakech task force
    WorkingGroup: URIRef  # Class: Working group
    adReferendum: URIRef  # DatatypeProperty: ad referendum
    addressedTo: URIRef  # ObjectProperty: addressed to
    adoptedAt: URIRef  # ObjectProperty: adopted at
    advises: URIRef  # ObjectProperty: advisory body of
    affiliation: URIRef  # ObjectProperty: affiliation
    approvedAt: URIRef  # ObjectProperty: approved at
    approvedBy: URIRef  # ObjectProperty: approved by
    associateMemberCountry: URIRef  # ObjectProperty: associate member country
    basedOn: URIRef  # ObjectProperty: based on
    beneficiary: URIRef  # ObjectProperty: beneficiary
    calledForBy: URIRef  # ObjectProperty: called for by
    collaborator: URIRef  # ObjectProperty: collaborator
    conceivedAt: URIRef  # ObjectProperty: conceived at
    count: URIRef  # DatatypeProperty: count
    country: URIRef  # ObjectProperty: country
    countryAsWritten: URIRef  # DatatypeProperty: country as written
    curationNote: URIRef  # DatatypeProperty: curation note
    developedThrough: URIRef  # ObjectProperty: developed through
    dimension: URIRef  # DatatypeProperty: dimension
    earliestStart: URIRef  # DatatypeProperty: earliest start
    electedAt: URIRef  # ObjectProperty: elected at
    fieldOfWork: URIRef  # DatatypeProperty: field of work
    frameworkMechanism: URIRef  # ObjectProperty: mechanism for defining the framework of action
    hasIndicator: URIRef  # ObjectProperty: has indicator
    hasObjective: URIRef  # ObjectProperty: has objective
    host: URIRef  # ObjectProperty: host
    implementationMechanism: URIRef  # ObjectProperty: implementation mechanism
    implements: URIRef  # ObjectProperty: implements
    keyAgency: URIRef  # ObjectProperty: key agency
    latestEnd: URIRef  # DatatypeProperty: latest end
    launchedAt: URIRef  # ObjectProperty: launched at
    ledBy: URIRef  # ObjectProperty: led by
    lineEnd: URIRef  # DatatypeProperty: last line
    lineStart: URIRef  # DatatypeProperty: first line
    listedAs: URIRef  # ObjectProperty: listed as
    malformed: URIRef  # DatatypeProperty: malformed
    markedIn: URIRef  # ObjectProperty: marked in
    mechanism: URIRef  # ObjectProperty: mechanism
    meeting: URIRef  # ObjectProperty: meeting
    meetingKind: URIRef  # ObjectProperty: meeting kind
    meetingOf: URIRef  # ObjectProperty: meeting of
    memberCountry: URIRef  # ObjectProperty: member country
    nextMeeting: URIRef  # ObjectProperty: next meeting
    observation: URIRef  # DatatypeProperty: observation
    onBehalfOf: URIRef  # ObjectProperty: on behalf of
    ordinal: URIRef  # DatatypeProperty: ordinal
    otherAffiliation: URIRef  # ObjectProperty: other organization named
    preparedAt: URIRef  # ObjectProperty: prepared at
    presentedAt: URIRef  # ObjectProperty: presented at
    presenter: URIRef  # ObjectProperty: presenter
    previousMeeting: URIRef  # ObjectProperty: previous meeting
    priorityLevel: URIRef  # ObjectProperty: priority level
    proposalCategory: URIRef  # ObjectProperty: proposal category
    proposedAt: URIRef  # ObjectProperty: proposed at
    proposedBy: URIRef  # ObjectProperty: proposed by
    proposes: URIRef  # ObjectProperty: proposes
    qualification: URIRef  # DatatypeProperty: qualification
    question: URIRef  # ObjectProperty: question
    reportedFor: URIRef  # ObjectProperty: reported for
    represents: URIRef  # ObjectProperty: represents
    resources: URIRef  # DatatypeProperty: resources
    responsible: URIRef  # ObjectProperty: responsible
    responsibleText: URIRef  # DatatypeProperty: responsible (text)
    sdgTarget: URIRef  # ObjectProperty: SDG target
    sector: URIRef  # ObjectProperty: sector
    sessionKind: URIRef  # ObjectProperty: session kind
    signedBy: URIRef  # ObjectProperty: signed by
    statedIn: URIRef  # ObjectProperty: stated in
    submittedTo: URIRef  # ObjectProperty: submitted to
    subregion: URIRef  # ObjectProperty: subregion
    supportedBy: URIRef  # ObjectProperty: supported by
    supports: URIRef  # ObjectProperty: supports
    targetDate: URIRef  # DatatypeProperty: target date
    timeFrame: URIRef  # DatatypeProperty: time frame
    timeHorizon: URIRef  # ObjectProperty: time horizon
    workingGroup: URIRef  # ObjectProperty: working group
