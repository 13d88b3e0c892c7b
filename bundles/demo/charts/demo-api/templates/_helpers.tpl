{{- define "demo-api.labels" -}}
app.kubernetes.io/name: demo-api
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: outpost-demo
{{- end -}}

{{- define "demo-api.selector" -}}
app.kubernetes.io/name: demo-api
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
