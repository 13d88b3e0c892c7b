{{- define "demo-db.labels" -}}
app.kubernetes.io/name: demo-db
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: outpost-demo
{{- end -}}

{{- define "demo-db.selector" -}}
app.kubernetes.io/name: demo-db
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
