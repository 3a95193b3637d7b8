{{/*
The declaration (files/functions.yaml, copied from functions/functions.yaml by scripts/gen-chart)
as a dict with `functions` and `subscriptions`; each subscription's `delivery` is the declaration's
default `delivery` with the subscription's own overrides.
*/}}
{{- define "my-store.declaration" -}}
{{- $declaration := .Files.Get "files/functions.yaml" | fromYaml -}}
{{- if or (not $declaration) (hasKey $declaration "Error") -}}
{{- fail "files/functions.yaml is missing or not YAML: run ./scripts/gen-chart" -}}
{{- end -}}
{{- $default := $declaration.delivery | default dict -}}
{{- $subscriptions := list -}}
{{- range ($declaration.subscriptions | default list) -}}
{{- $delivery := merge (deepCopy (.delivery | default dict)) $default -}}
{{- $subscriptions = append $subscriptions (set (deepCopy .) "delivery" $delivery) -}}
{{- end -}}
{{- toJson (dict "functions" ($declaration.functions | default list) "subscriptions" $subscriptions) -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "my-store.labels" -}}
app.kubernetes.io/part-of: my-store
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Image of a function: (dict "root" $ "function" $function). */}}
{{- define "my-store.image" -}}
{{- $images := .root.Values.images -}}
{{- $image := ternary $images.storefront $images.functions (has .function.name .root.Values.storefrontFunctions) -}}
{{- printf "%s:%s" $image.repository (default .root.Chart.AppVersion $images.tag) -}}
{{- end -}}

{{/* The image of the secrets and migrations Jobs: the functions image, or images.jobs. */}}
{{- define "my-store.jobsImage" -}}
{{- $repository := (.Values.images.jobs | default dict).repository | default .Values.images.functions.repository -}}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.images.tag) -}}
{{- end -}}

{{/* Pod spec fields of the functions and the Jobs: the pull secrets (and with "account" true, the
ServiceAccount): (dict "root" $ "account" true). */}}
{{- define "my-store.podAccess" -}}
{{- if and .account .root.Values.serviceAccountName }}
serviceAccountName: {{ .root.Values.serviceAccountName }}
{{- end }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
Prefix of the release's Kafka topic and consumer-group names: kafka.namePrefix when set; else none
for kafka.defaultRelease (the names of functions.yaml) and "<release>-" for any other release.
*/}}
{{- define "my-store.kafkaPrefix" -}}
{{- if hasKey .Values.kafka "namePrefix" -}}
{{- .Values.kafka.namePrefix -}}
{{- else if ne .Release.Name .Values.kafka.defaultRelease -}}
{{- printf "%s-" .Release.Name -}}
{{- end -}}
{{- end -}}

{{/* Sorted JSON list of the services that own a database. */}}
{{- define "my-store.databaseServices" -}}
{{- $services := list -}}
{{- range (include "my-store.declaration" . | fromJson).functions -}}
{{- if not (has .service $.Values.servicesWithoutDatabase) -}}
{{- $services = append $services .service -}}
{{- end -}}
{{- end -}}
{{- $services | uniq | sortAlpha | toJson -}}
{{- end -}}

{{- define "my-store.postgresHost" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "%s-postgresql.%s.svc.cluster.local" .Release.Name .Release.Namespace -}}
{{- else -}}
{{- required "postgresql.externalHost is required when postgresql.enabled is false" .Values.postgresql.externalHost -}}
{{- end -}}
{{- end -}}

{{/* Names of the Secrets the secrets Job generates (never rendered by Helm, so never in Git). */}}
{{- define "my-store.dbSecret" -}}{{ .Release.Name }}-db{{- end -}}
{{- define "my-store.jwtSecret" -}}{{ .Release.Name }}-jwt{{- end -}}

{{/*
Environment that points a container at one service's database: (dict "root" $ "service" "auth").
The password comes from the generated Secret; Kubernetes expands $(DATABASE_PASSWORD) in the URL.
*/}}
{{- define "my-store.databaseEnv" -}}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "my-store.dbSecret" .root }}
      key: {{ .service }}
- name: MYSTORE_DATABASE_URL
  value: {{ printf "postgresql+psycopg://%s:$(DATABASE_PASSWORD)@%s:%v/%s" .service (include "my-store.postgresHost" .root) .root.Values.postgresql.port .service | quote }}
{{- end -}}

{{/* A container securityContext that satisfies the restricted Pod Security Standard. */}}
{{- define "my-store.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Hook annotations of the secrets Job and what it needs (Argo CD maps them to PreSync). */}}
{{- define "my-store.secretsHookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}
