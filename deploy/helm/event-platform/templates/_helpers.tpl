{{/* The chart's name, or nameOverride. */}}
{{- define "event-platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The prefix of every name: fullnameOverride, the release's name when it holds the chart's, or both. */}}
{{- define "event-platform.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "event-platform.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A component's Kubernetes name: `user_service` -> `user-service` (names cannot hold `_`). */}}
{{- define "event-platform.component" -}}
{{- . | replace "_" "-" -}}
{{- end -}}

{{/* The name of a component's objects and its Service's host: (dict "root" $ "name" "user_service"). */}}
{{- define "event-platform.componentFullname" -}}
{{- printf "%s-%s" (include "event-platform.fullname" .root) (include "event-platform.component" .name) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of everything the chart makes. */}}
{{- define "event-platform.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/part-of: {{ include "event-platform.name" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The labels that select a component's pods: (dict "root" $ "name" "user_service"). */}}
{{- define "event-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "event-platform.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ include "event-platform.component" .name }}
{{- end -}}

{{/* Every label of a component's objects: (dict "root" $ "name" "user_service"). */}}
{{- define "event-platform.componentLabels" -}}
{{ include "event-platform.labels" .root }}
{{ include "event-platform.selectorLabels" . }}
{{- end -}}

{{/* An image reference: (dict "image" .Values.image "root" $); the tag defaults to the appVersion. */}}
{{- define "event-platform.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* A pod's grace period: the pre-stop wait, the drain and a margin. */}}
{{- define "event-platform.terminationGracePeriodSeconds" -}}
{{- add .Values.shutdown.preStopSeconds .Values.shutdown.drainSeconds .Values.shutdown.marginSeconds -}}
{{- end -}}

{{/* Spread of a component's pods over nodes and zones: (dict "root" $ "name" "user_service"). */}}
{{- define "event-platform.topologySpread" -}}
{{- if .root.Values.topologySpread }}
topologySpreadConstraints:
  {{- range $key := list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
  - maxSkew: 1
    topologyKey: {{ $key }}
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "event-platform.selectorLabels" $ | nindent 8 }}
  {{- end }}
{{- end }}
{{- with .root.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .root.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The probes and the shutdown of a service container: (dict "root" $). */}}
{{- define "event-platform.lifecycle" -}}
{{- $probes := .root.Values.probes }}
startupProbe:
  httpGet: {path: {{ $probes.startup.path }}, port: http}
  periodSeconds: {{ $probes.startup.periodSeconds }}
  timeoutSeconds: {{ $probes.startup.timeoutSeconds }}
  failureThreshold: {{ $probes.startup.failureThreshold }}
livenessProbe:
  httpGet: {path: {{ $probes.liveness.path }}, port: http}
  periodSeconds: {{ $probes.liveness.periodSeconds }}
  timeoutSeconds: {{ $probes.liveness.timeoutSeconds }}
  failureThreshold: {{ $probes.liveness.failureThreshold }}
readinessProbe:
  httpGet: {path: {{ $probes.readiness.path }}, port: http}
  periodSeconds: {{ $probes.readiness.periodSeconds }}
  timeoutSeconds: {{ $probes.readiness.timeoutSeconds }}
  failureThreshold: {{ $probes.readiness.failureThreshold }}
lifecycle:
  # Serves on while the endpoints of every node and the gateway forget this pod; SIGTERM follows.
  preStop:
    sleep:
      seconds: {{ .root.Values.shutdown.preStopSeconds }}
{{- end -}}

{{/* A service's settings that are not secrets, as YAML (the data of its ConfigMap):
     (dict "root" $ "name" "user_service"). */}}
{{- define "event-platform.settings" -}}
{{- $root := .root }}
{{- $service := get $root.Values.services .name }}
{{- $users := dict "root" $root "name" "user_service" }}
{{- $settings := dict }}
{{- range $key, $value := $root.Values.commonEnv }}
{{- $_ := set $settings $key (toString $value) }}
{{- end }}
{{- $_ := set $settings "HOST" "0.0.0.0" }}
{{- $_ := set $settings "PORT" (toString $service.port) }}
{{- /* Its graceful shutdown ends within the pod's drain, so the pod stops before it is killed. */}}
{{- $_ := set $settings "SHUTDOWN_DRAIN_SECONDS" (toString $root.Values.shutdown.drainSeconds) }}
{{- with $root.Values.tracing.otlpEndpoint }}
{{- $_ := set $settings "OTLP_ENDPOINT" . }}
{{- end }}
{{- $_ := set $settings "JWKS_URL" (printf "http://%s:%v/.well-known/jwks.json" (include "event-platform.componentFullname" $users) $root.Values.services.user_service.port) }}
{{- if has "mongodb" $service.stores }}
{{- $_ := set $settings "MONGO_DATABASE" $service.database }}
{{- end }}
{{- if and (has "redis" $service.stores) $root.Values.stores.redis.url }}
{{- $_ := set $settings "REDIS_URL" $root.Values.stores.redis.url }}
{{- end }}
{{- range $callee := $service.calls }}
{{- $_ := set $settings (printf "%s_URL" (upper $callee)) (printf "http://%s:%v" (include "event-platform.componentFullname" (dict "root" $root "name" $callee)) (get $root.Values.services $callee).port) }}
{{- end }}
{{- range $key, $value := $service.env }}
{{- $_ := set $settings $key (toString $value) }}
{{- end }}
{{- toYaml $settings }}
{{- end -}}
