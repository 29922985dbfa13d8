{{/* Object name of one deployable: emporium-<service>. */}}
{{- define "emporium.name" -}}
{{- printf "emporium-%s" . -}}
{{- end -}}

{{/* Labels every object carries; `ctx` is the root context, `name` the deployable. */}}
{{- define "emporium.labels" -}}
app.kubernetes.io/name: {{ include "emporium.name" .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/part-of: emporium
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/version: {{ .ctx.Values.image.tag | quote }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version }}
emporium.io/environment: {{ .ctx.Values.environment }}
{{- end -}}

{{/* Pod selector of one deployable. */}}
{{- define "emporium.selector" -}}
app.kubernetes.io/name: {{ include "emporium.name" .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{- define "emporium.image" -}}
{{- printf "%s/emporium-%s:%s" .ctx.Values.image.registry .name .ctx.Values.image.tag -}}
{{- end -}}

{{/* Pod and container security: non-root numeric user, read-only root, no privilege escalation, no capabilities. */}}
{{- define "emporium.podSecurity" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "emporium.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* DATABASE_URL from the service's password Secret; Kubernetes expands $(DATABASE_PASSWORD) (URL-safe passwords). */}}
{{- define "emporium.databaseEnv" -}}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ printf "emporium-%s" .name }}
      key: database-password
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(DATABASE_PASSWORD)@%s:%v/%s" .db .host .port .db | quote }}
{{- end -}}
